// One direction of a connection: see detail/pipe.hpp.
#include "chaos/proxy/detail/pipe.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include "chaos/proxy/detail/connection.hpp"
#include "chaos/proxy/detail/link.hpp"

namespace faultline::proxy::detail {

namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

std::int64_t ms_to_ns(std::uint32_t ms) {
  return static_cast<std::int64_t>(ms) * 1'000'000;
}

}  // namespace

Pipe::Pipe(Connection& owner, Link& link, Direction direction, Socket& source, Socket& destination,
           const Toxics& toxics, std::int64_t accepted_ns)
    : owner_(owner),
      link_(link),
      direction_(direction),
      source_(source),
      destination_(destination),
      toxics_(toxics),
      ring_(link.spec().buffer_bytes),
      chunks_(link.spec().max_queued_chunks),
      timeout_from_ns_(accepted_ns),
      timer_(owner.strand()) {}

void Pipe::set_toxics(const Toxics& toxics, std::int64_t now) {
  if (!toxics_.timeout_ms && toxics.timeout_ms) timeout_from_ns_ = now;
  if (toxics.bandwidth_bytes_per_s != toxics_.bandwidth_bytes_per_s) credit_ = 0;
  toxics_ = toxics;
}

void Pipe::stop() {
  timer_.cancel();
  armed_ = false;
}

void Pipe::pump() {
  if (!owner_.running()) return;
  if (owner_.draining()) {
    pump_draining();
    return;
  }
  // The clock is read only when a toxic needs it, so that the healthy path
  // costs no system call beyond the read and the write.
  std::int64_t now = 0;
  auto clock = [&now] {
    if (now == 0) now = now_ns();
    return now;
  };
  std::int64_t wake = kNever;

  if (!chunks_.empty()) {
    ready_ = chunks_.release_due(clock(), ready_);
    if (!chunks_.empty()) wake = chunks_.next_due();
  }

  if (!writing_ && ready_ > ring_.head()) {
    auto n = static_cast<std::size_t>(ready_ - ring_.head());
    if (toxics_.bandwidth_bytes_per_s > 0) {
      if (credit_ == 0) {
        std::int64_t ready_at = kNever;
        credit_ = link_.take_tokens(direction_, clock(), n, ready_at);
        if (credit_ == 0) wake = std::min(wake, ready_at);
      }
      n = static_cast<std::size_t>(std::min<std::uint64_t>(n, credit_));
    }
    if (n > 0) start_write(n);
  }

  if (!reading_ && !source_ended_ && ring_.free() > 0 && !chunks_.full()) start_read();

  // A direction that discards swallows the close too, as a dead network
  // would; it is passed on if the toxic is lifted.
  if (source_ended_ && !passed_close_ && ring_.empty() && chunks_.empty() && !discards(toxics_)) {
    const std::int64_t close_at = end_due_ns_ + ms_to_ns(toxics_.slow_close_ms);
    if (clock() >= close_at) {
      error_code ignored;
      destination_.shutdown(tcp::socket::shutdown_send, ignored);
      passed_close_ = true;
      owner_.pipe_done();
      return;
    }
    wake = std::min(wake, close_at);
  }

  if (toxics_.limit_bytes > 0 && ring_.tail() >= toxics_.limit_bytes && ring_.empty()) {
    owner_.close_gracefully();
    return;
  }

  if (toxics_.timeout_ms && *toxics_.timeout_ms > 0) {
    const std::int64_t deadline = timeout_from_ns_ + ms_to_ns(*toxics_.timeout_ms);
    if (clock() >= deadline) {
      owner_.close_gracefully();
      return;
    }
    wake = std::min(wake, deadline);
  }

  if (wake != kNever) arm(wake);
}

void Pipe::pump_draining() {
  // Nothing more goes out: forget what waits, and read the source to its end
  // so that the final close sends FIN rather than RST.
  if (!writing_ && !ring_.empty()) {
    ring_.consume(ring_.size());
    ready_ = ring_.tail();
    chunks_.release_due(kNever, ready_);
  }
  if (!reading_ && !source_ended_ && ring_.free() > 0) start_read();
  const std::int64_t deadline = owner_.drain_deadline_ns();
  if (now_ns() >= deadline) {
    owner_.finish();
    return;
  }
  arm(deadline);
}

void Pipe::start_read() {
  const auto spans = ring_.free_spans();
  const std::array<asio::mutable_buffer, 2> buffers{
      asio::mutable_buffer(spans[0].data, spans[0].size),
      asio::mutable_buffer(spans[1].data, spans[1].size)};
  reading_ = true;
  source_.async_read_some(buffers, [self = owner_.shared_from_this(), this](
                                       const error_code& ec, std::size_t n) { on_read(ec, n); });
}

void Pipe::on_read(const error_code& ec, std::size_t n) {
  reading_ = false;
  if (!owner_.running()) return;
  if (owner_.draining()) {
    if (ec) {
      source_ended_ = true;
      owner_.pipe_done();
      return;
    }
    pump();
    return;
  }
  if (ec == asio::error::eof) {
    source_ended_ = true;
    // The end of the stream is a chunk of its own: it waits for its own
    // delay, and for every byte before it.
    const std::int64_t now = now_ns();
    end_due_ns_ = delays(toxics_) || !chunks_.empty()
                      ? ChunkQueue::due_of(chunks_.last_due(), now, link_.sample_delay_ns(toxics_))
                      : now;
    pump();
    return;
  }
  if (ec) {
    owner_.read_failed(direction_);
    return;
  }
  keep(n);
  pump();
}

void Pipe::keep(std::size_t n) {
  if (discards(toxics_)) return;
  std::size_t kept = n;
  if (toxics_.limit_bytes > 0) {
    const std::uint64_t passed = ring_.tail();
    kept = passed >= toxics_.limit_bytes
               ? 0
               : static_cast<std::size_t>(std::min<std::uint64_t>(n, toxics_.limit_bytes - passed));
  }
  if (kept == 0) return;
  ring_.commit(kept);
  if (delays(toxics_) || !chunks_.empty()) {
    const std::int64_t now = now_ns();
    const std::int64_t due = chunks_.push(ring_.tail(), now, link_.sample_delay_ns(toxics_));
    if (due > now) link_.count_delayed();
  } else {
    ready_ = ring_.tail();
  }
}

void Pipe::start_write(std::size_t n) {
  const auto spans = ring_.data_spans(n);
  const std::array<asio::const_buffer, 2> buffers{asio::const_buffer(spans[0].data, spans[0].size),
                                                  asio::const_buffer(spans[1].data, spans[1].size)};
  writing_ = true;
  destination_.async_write_some(
      buffers, [self = owner_.shared_from_this(), this](const error_code& ec, std::size_t written) {
        on_write(ec, written);
      });
}

void Pipe::on_write(const error_code& ec, std::size_t n) {
  writing_ = false;
  if (!owner_.running()) return;
  if (owner_.draining()) {
    pump();
    return;
  }
  if (ec) {
    owner_.write_failed(direction_);
    return;
  }
  ring_.consume(n);
  credit_ -= std::min<std::uint64_t>(credit_, n);
  link_.count_bytes(direction_, n);
  pump();
}

void Pipe::arm(std::int64_t at_ns_value) {
  // Deadlines only move earlier while one is armed (chunk dues never
  // decrease); a wake that comes too early just pumps and re-arms.
  if (armed_ && armed_at_ns_ <= at_ns_value) return;
  armed_ = true;
  armed_at_ns_ = at_ns_value;
  const std::uint64_t generation = ++generation_;
  timer_.expires_at(at_ns(at_ns_value));
  timer_.async_wait([self = owner_.shared_from_this(), this, generation](const error_code& ec) {
    on_timer(ec, generation);
  });
}

void Pipe::on_timer(const error_code& ec, std::uint64_t generation) {
  if (ec == asio::error::operation_aborted) return;
  if (generation == generation_) armed_ = false;
  pump();
}

}  // namespace faultline::proxy::detail
