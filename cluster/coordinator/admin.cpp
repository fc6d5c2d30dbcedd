// The coordinator's admin failpoints: how a drill makes this member's clock
// and disk misbehave, as etcd's gofail failpoints do (docs/reference-cluster.md,
// "Admin failpoints").
//
//   GET /admin/failpoints        {"member", "clock": {...}, "disk": {...}}
//   PUT /admin/failpoints/clock  {"mode": "offset", "offset_ms": 30000}
//                                {"mode": "jump", "offset_ms": -2000}
//                                {"mode": "drift", "drift_pct": 50}
//                                {"mode": "slew", "slew_pct": 50}  back to true time, no step
//                                {"mode": "off"}                   back to true time, a step
//   PUT /admin/failpoints/disk   {"mode": "slow_fsync", "delay_ms": 20}
//                                {"mode": "fail_fsync"} | {"mode": "lying_fsync"}
//                                {"mode": "off"}
//
// Every answer is the failpoints' state after the change (200), 400 for a
// body it cannot use, 403 for a source outside `admin_allow`, 401 without
// the admin token (systemConfig.cluster.adminToken, when set) as
// `Authorization: Bearer <token>`.
#include <arpa/inet.h>

#include <nlohmann/json.hpp>

#include "cluster/coordinator/coordinator.hpp"
#include "cluster/http/serve.hpp"
#include "cluster/store/power_loss.hpp"

namespace faultline::coordinator {

using Json = nlohmann::json;

namespace {

constexpr auto kSwitchTimeout = std::chrono::seconds(10);

using http::json_response;

http::Response bad_request(const std::string& error) {
  return json_response(400, Json{{"success", false}, {"error", error}}.dump());
}

std::optional<double> number(const Json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

}  // namespace

bool Coordinator::admin_allowed(const http::Request& request) const {
  // The source first (the runner lists its observer's address and loopback
  // in admin_allow); the admin token, when set, is checked after it.
  const std::string ip = request.remote.substr(0, request.remote.rfind(':'));
  in_addr parsed{};
  if (::inet_pton(AF_INET, ip.c_str(), &parsed) != 1) return false;
  const std::uint32_t address = ntohl(parsed.s_addr);
  for (const auto& prefix : config_.admin_allow) {
    if (prefix.contains(address)) return true;
  }
  return false;
}

std::string Coordinator::failpoints_json() {
  const util::SkewState skew = clock_.state();
  const store::SyncStats disk = disk_.stats();
  Json out;
  out["success"] = true;
  out["member"] = config_.name;
  out["clock"] = Json{{"mode", skew.mode},
                      {"offset_ms", skew.offset_ms},
                      {"drift_pct", skew.drift_pct},
                      {"skew_ms", skew.skew_ms},
                      {"slew_left_ms", skew.slew_left_ms},
                      {"now_ms", skew.reading.now_ms},
                      {"true_mono_ns", skew.reading.true_ns}};
  out["disk"] = Json{{"mode", store::to_string(disk.mode)},
                     {"delay_ms", disk.delay_ms},
                     {"syncs", disk.syncs},
                     {"failed", disk.failed},
                     {"lied", disk.lied},
                     {"syncs_in_mode", disk.syncs_in_mode},
                     {"mean_ms", disk.mean_ms},
                     {"max_ms", disk.max_ms},
                     {"synced_copy", store::has_synced_copy(config_.data_dir)}};
  return out.dump();
}

store::Error Coordinator::switch_disk(store::DiskMode mode, std::int64_t delay_ms) {
  auto request = std::make_shared<DiskSwitch>();
  request->mode = mode;
  request->delay_ms = delay_ms;
  std::unique_lock lock(mu_);
  if (disk_switch_) return "another disk switch is in progress";
  disk_switch_ = request;
  ready_cv_.notify_one();
  disk_switched_cv_.wait_for(lock, kSwitchTimeout, [&] { return request->done || stopping_.load(); });
  if (!request->done) {
    if (disk_switch_ == request) disk_switch_.reset();
    return "the storage thread did not switch the disk within 10 s (a sync in progress?)";
  }
  return request->error;
}

void Coordinator::apply_disk_switch_locked(std::unique_lock<std::mutex>& lock) {
  const std::shared_ptr<DiskSwitch> request = std::move(disk_switch_);
  disk_switch_.reset();
  lock.unlock();
  store::Error error;
  // Leaving a lie first syncs what it held back; then the new mode.
  if (request->mode != store::DiskMode::lying_fsync) error = disk_.clear(config_.data_dir);
  if (!error) {
    switch (request->mode) {
      case store::DiskMode::off: break;
      case store::DiskMode::slow_fsync: disk_.set_slow(request->delay_ms); break;
      case store::DiskMode::fail_fsync: disk_.set_fail(); break;
      case store::DiskMode::lying_fsync: error = disk_.start_lying(config_.data_dir); break;
    }
  }
  lock.lock();
  request->error = std::move(error);
  request->done = true;
  disk_switched_cv_.notify_all();
}

void Coordinator::install_admin_routes() {
  auto guarded = [this](http::Handler handler) {
    return [this, handler = std::move(handler)](const http::Request& request) {
      if (!admin_allowed(request)) {
        return json_response(403, Json{{"success", false},
                                       {"error", "admin endpoints answer only the sources in "
                                                 "admin_allow; " +
                                                     request.remote + " is not one"}}
                                      .dump());
      }
      if (auto refused = refuse_without_admin_token(request, "an admin request (/admin/failpoints)")) {
        return *refused;
      }
      return handler(request);
    };
  };
  server_.get("/admin/failpoints",
              guarded([this](const http::Request&) { return json_response(200, failpoints_json()); }));
  server_.put("/admin/failpoints/clock", guarded([this](const http::Request& request) {
    const Json body = Json::parse(request.body, nullptr, false);
    const std::string mode = body.is_object() ? body.value("mode", "") : "";
    if (mode == "offset" || mode == "jump") {
      const auto offset = number(body, "offset_ms");
      if (!offset) return bad_request("mode " + mode + " needs a number offset_ms");
      if (mode == "offset") {
        clock_.set_offset(*offset);
      } else {
        clock_.jump(*offset);
      }
    } else if (mode == "drift") {
      const auto drift = number(body, "drift_pct");
      if (!drift || *drift <= -100) return bad_request("mode drift needs a number drift_pct above -100");
      clock_.set_drift(*drift);
    } else if (mode == "off") {
      clock_.clear();
    } else if (mode == "slew") {
      const auto pct = number(body, "slew_pct");
      if (!pct || *pct <= 0 || *pct >= 100) return bad_request("mode slew needs a slew_pct between 0 and 100");
      clock_.slew_back(*pct);
    } else {
      return bad_request("body must be {\"mode\": \"offset\"|\"jump\"|\"drift\"|\"slew\"|\"off\", ...}");
    }
    return json_response(200, failpoints_json());
  }));
  server_.put("/admin/failpoints/disk", guarded([this](const http::Request& request) {
    const Json body = Json::parse(request.body, nullptr, false);
    const std::string mode = body.is_object() ? body.value("mode", "") : "";
    store::DiskMode target = store::DiskMode::off;
    std::int64_t delay_ms = 0;
    if (mode == "slow_fsync") {
      const auto delay = number(body, "delay_ms");
      if (!delay || *delay < 0) return bad_request("mode slow_fsync needs a delay_ms of at least 0");
      target = store::DiskMode::slow_fsync;
      delay_ms = static_cast<std::int64_t>(*delay);
    } else if (mode == "fail_fsync") {
      target = store::DiskMode::fail_fsync;
    } else if (mode == "lying_fsync") {
      target = store::DiskMode::lying_fsync;
    } else if (mode != "off") {
      return bad_request(
          "body must be {\"mode\": \"slow_fsync\"|\"fail_fsync\"|\"lying_fsync\"|\"off\", ...}");
    }
    if (auto error = switch_disk(target, delay_ms)) {
      return json_response(500, Json{{"success", false}, {"error", *error}}.dump());
    }
    return json_response(200, failpoints_json());
  }));
}

}  // namespace faultline::coordinator
