#include "cluster/coordinator/peer_link.hpp"

#include "cluster/http/client.hpp"

namespace faultline::coordinator {

PeerLink::PeerLink(std::string peer_url, long timeout_ms)
    : url_(std::move(peer_url) + "/raft/messages"), timeout_ms_(timeout_ms) {
  sender_ = std::thread([this] { send_loop(); });
}

PeerLink::~PeerLink() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  sender_.join();
}

void PeerLink::enqueue(std::string encoded_message) {
  {
    std::lock_guard lock(mu_);
    if (outbox_.size() >= kMaxQueued) outbox_.pop_front();
    outbox_.push_back(std::move(encoded_message));
  }
  cv_.notify_one();
}

void PeerLink::send_loop() {
  http::Client client;
  while (true) {
    std::string body;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !outbox_.empty(); });
      if (stopping_) return;
      for (std::size_t n = 0; n < kMaxBatch && !outbox_.empty(); ++n) {
        body += outbox_.front();
        body += '\n';
        outbox_.pop_front();
      }
    }
    // Failures are deliberate drops: see the header.
    client.request("POST", url_, body, timeout_ms_);
  }
}

}  // namespace faultline::coordinator
