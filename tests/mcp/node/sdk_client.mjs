// The official MCP TypeScript SDK as the client of the reference cluster:
// connects through one coordinator, lists and calls tools, continues the
// same session through the other coordinators, and ends it.
//
//   node sdk_client.mjs COORDINATOR_URL [OTHER_COORDINATOR_URL ...]
//
// Prints one JSON line per check and {"ok":true,...} last; exits 1 with the
// failed check on standard error.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [first, ...others] = process.argv.slice(2);
if (!first) {
  console.error('usage: node sdk_client.mjs COORDINATOR_URL [OTHER_COORDINATOR_URL ...]');
  process.exit(2);
}

function check(condition, what, detail) {
  if (!condition) {
    console.error(`FAIL ${what}: ${JSON.stringify(detail)}`);
    process.exit(1);
  }
  console.log(JSON.stringify({ check: what, ok: true }));
}

function text(result) {
  return (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('');
}

async function connect(base, server, sessionId) {
  const client = new Client({ name: 'faultline-sdk-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp/${server}`), sessionId ? { sessionId } : {});
  await client.connect(transport);
  return { client, transport };
}

async function counterSessionSticks() {
  const { client, transport } = await connect(first, 'counter');
  check(typeof transport.sessionId === 'string' && transport.sessionId.length > 0, 'session id issued', transport.sessionId);
  const { tools } = await client.listTools();
  check(tools.map((t) => t.name).sort().join(',') === 'get,increment,reset', 'counter tools listed', tools.map((t) => t.name));
  for (let n = 1; n <= 5; ++n) {
    const r = await client.callTool({ name: 'increment', arguments: {} });
    check(r.structuredContent?.count === n, `count ${n} through ${first}`, r);
  }
  // The same session through every other coordinator: the count goes on,
  // so each request reached the node that holds the session's state.
  let expected = 5;
  for (const base of others) {
    const other = await connect(base, 'counter', transport.sessionId);
    const r = await other.client.callTool({ name: 'increment', arguments: {} });
    expected += 1;
    check(r.structuredContent?.count === expected, `count ${expected} through ${base}`, r);
    await other.client.close();
  }
  const sessionId = transport.sessionId;
  await transport.terminateSession();
  check(transport.sessionId === undefined, 'session terminated', transport.sessionId);
  const stale = await fetch(`${first}/mcp/counter`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId },
    body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
  });
  check(stale.status === 404, 'an ended session answers 404', stale.status);
  await client.close();
}

async function serverEverything() {
  const { client } = await connect(first, 'everything');
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  check(names.includes('echo') && names.includes('get-sum'), 'server-everything tools listed', names);
  const echo = await client.callTool({ name: 'echo', arguments: { message: 'through the cluster' } });
  check(text(echo) === 'Echo: through the cluster', 'server-everything echo', echo);
  const sum = await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } });
  check(text(sum) === 'The sum of 2 and 3 is 5.', 'server-everything get-sum', sum);
  // An unknown tool is an error: a JSON-RPC error (thrown) or a result
  // with isError, depending on the server's SDK version.
  let answer = null;
  try {
    answer = await client.callTool({ name: 'no-such-tool', arguments: {} });
  } catch (e) {
    answer = { thrown: String(e) };
  }
  check(answer.thrown !== undefined || answer.isError === true, 'an unknown tool is an error', answer);
  await client.close();
}

try {
  await counterSessionSticks();
  await serverEverything();
  console.log(JSON.stringify({ ok: true }));
} catch (e) {
  console.error(`FAIL exception: ${e?.stack ?? e}`);
  process.exit(1);
}
