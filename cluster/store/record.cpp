#include "cluster/store/record.hpp"

#include "cluster/store/crc32c.hpp"

namespace faultline::store {

namespace {

template <typename T>
void put(std::string& out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    out.push_back(static_cast<char>(static_cast<std::uint8_t>(value >> (8 * i))));
  }
}

// Reads a little-endian integer at `pos`, advancing it; nullopt if short.
template <typename T>
std::optional<T> get(std::string_view in, std::size_t& pos) {
  if (pos > in.size() || in.size() - pos < sizeof(T)) return std::nullopt;
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    value = static_cast<T>(value |
                           static_cast<T>(static_cast<T>(static_cast<unsigned char>(in[pos + i]))
                                          << (8 * i)));
  }
  pos += sizeof(T);
  return value;
}

}  // namespace

std::string frame(std::string_view payload) {
  std::string out;
  out.reserve(kRecordHeaderBytes + payload.size());
  put(out, static_cast<std::uint32_t>(payload.size()));
  put(out, crc32c(payload));
  out.append(payload);
  return out;
}

Scan scan(std::string_view data) {
  Scan result;
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t cursor = pos;
    auto length = get<std::uint32_t>(data, cursor);
    auto crc = get<std::uint32_t>(data, cursor);
    if (!length || !crc) {
      result.stop_reason = "short record header at offset " + std::to_string(pos);
      break;
    }
    if (*length > kMaxRecordBytes) {
      result.stop_reason = "implausible record length " + std::to_string(*length) +
                           " at offset " + std::to_string(pos);
      break;
    }
    if (data.size() - cursor < *length) {
      result.stop_reason = "short record at offset " + std::to_string(pos);
      break;
    }
    std::string_view payload = data.substr(cursor, *length);
    if (crc32c(payload) != *crc) {
      result.stop_reason = "checksum mismatch in record at offset " + std::to_string(pos);
      break;
    }
    result.frames.push_back(Frame{pos, payload});
    pos = cursor + *length;
    result.valid_bytes = pos;
  }
  return result;
}

std::string encode_entry(const raft::Entry& entry) {
  std::string out(1, static_cast<char>(RecordType::entry));
  put(out, entry.term);
  put(out, entry.index);
  out.append(entry.command);
  return out;
}

std::string encode_truncate(raft::Index from) {
  std::string out(1, static_cast<char>(RecordType::truncate));
  put(out, from);
  return out;
}

std::string encode_hard_state(const raft::HardState& hard) {
  std::string out(1, static_cast<char>(RecordType::hard_state));
  put(out, hard.term);
  put(out, static_cast<std::uint8_t>(hard.voted_for ? 1 : 0));
  put(out, hard.voted_for.value_or(0));
  put(out, hard.commit);
  return out;
}

std::string encode_base(raft::Index base) {
  std::string out(1, static_cast<char>(RecordType::base));
  put(out, base);
  return out;
}

std::string encode_snapshot(const raft::Snapshot& snapshot) {
  std::string out(1, static_cast<char>(RecordType::snapshot));
  put(out, snapshot.index);
  put(out, snapshot.term);
  out.append(snapshot.data);
  return out;
}

std::optional<raft::Snapshot> decode_snapshot(std::string_view payload) {
  std::size_t pos = 1;
  if (payload.empty() || payload[0] != static_cast<char>(RecordType::snapshot)) {
    return std::nullopt;
  }
  auto index = get<std::uint64_t>(payload, pos);
  auto term = get<std::uint64_t>(payload, pos);
  if (!index || !term) return std::nullopt;
  return raft::Snapshot{*index, *term, std::string(payload.substr(pos))};
}

std::optional<LogRecord> decode_log_record(std::string_view payload) {
  std::size_t pos = 1;
  if (payload.empty()) return std::nullopt;
  LogRecord record;
  if (payload[0] == static_cast<char>(RecordType::entry)) {
    auto term = get<std::uint64_t>(payload, pos);
    auto index = get<std::uint64_t>(payload, pos);
    if (!term || !index) return std::nullopt;
    record.type = RecordType::entry;
    record.entry = raft::Entry{*term, *index, std::string(payload.substr(pos))};
    return record;
  }
  if (payload[0] == static_cast<char>(RecordType::truncate)) {
    auto from = get<std::uint64_t>(payload, pos);
    if (!from || pos != payload.size()) return std::nullopt;
    record.type = RecordType::truncate;
    record.truncate_from = *from;
    return record;
  }
  if (payload[0] == static_cast<char>(RecordType::base)) {
    auto base = get<std::uint64_t>(payload, pos);
    if (!base || pos != payload.size()) return std::nullopt;
    record.type = RecordType::base;
    record.base = *base;
    return record;
  }
  return std::nullopt;
}

std::optional<raft::HardState> decode_hard_state(std::string_view payload) {
  std::size_t pos = 1;
  if (payload.empty() || payload[0] != static_cast<char>(RecordType::hard_state)) {
    return std::nullopt;
  }
  auto term = get<std::uint64_t>(payload, pos);
  auto has_vote = get<std::uint8_t>(payload, pos);
  auto vote = get<std::uint32_t>(payload, pos);
  auto commit = get<std::uint64_t>(payload, pos);
  if (!term || !has_vote || !vote || !commit || pos != payload.size() || *has_vote > 1) {
    return std::nullopt;
  }
  raft::HardState hard;
  hard.term = *term;
  if (*has_vote == 1) hard.voted_for = *vote;
  hard.commit = *commit;
  return hard;
}

}  // namespace faultline::store
