// faultline::raft — the Raft consensus core. Include this for the whole API:
// value types (types.hpp), the Node state machine (node.hpp), the JSON wire
// codec (codec.hpp) and the safety checks (invariants.hpp).
#pragma once

#include "cluster/raft/codec.hpp"
#include "cluster/raft/invariants.hpp"
#include "cluster/raft/node.hpp"
#include "cluster/raft/types.hpp"
