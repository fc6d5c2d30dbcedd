// Private to chaos/proxy. Pipe: one direction of one connection — reads the
// source socket into its ByteRing, holds chunks in its ChunkQueue until they
// are due, takes tokens from the link's bucket, writes the destination, and
// passes the source's close on. Everything is driven by pump(), which looks
// at the state and starts whatever can start (a read, a write, the close)
// and arms the one timer at the earliest instant something will change.
// Without toxics pump() never reads the clock and never arms the timer.
//
// Thread-safety: all on the owning connection's strand.
#pragma once

#include <cstdint>

#include "chaos/proxy/byte_ring.hpp"
#include "chaos/proxy/chunk_queue.hpp"
#include "chaos/proxy/detail/asio.hpp"
#include "chaos/proxy/toxics.hpp"

namespace faultline::proxy::detail {

class Connection;
class Link;

class Pipe {
 public:
  Pipe(Connection& owner, Link& link, Direction direction, Socket& source, Socket& destination,
       const Toxics& toxics, std::int64_t accepted_ns);

  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;

  // New toxics from `now` on (a timeout starts counting when it first
  // appears).
  void set_toxics(const Toxics& toxics, std::int64_t now);
  const Toxics& toxics() const { return toxics_; }

  void pump();
  // Cancels the timer; pending handlers see the connection closed and stop.
  void stop();

  // The source has ended (EOF, error, or drained to its end).
  bool source_ended() const { return source_ended_; }
  // The destination's write side was shut down after the last byte.
  bool passed_close() const { return passed_close_; }

 private:
  void pump_draining();
  void start_read();
  void on_read(const error_code& ec, std::size_t n);
  void start_write(std::size_t n);
  void on_write(const error_code& ec, std::size_t n);
  void keep(std::size_t n);
  void arm(std::int64_t at_ns);
  void on_timer(const error_code& ec, std::uint64_t generation);

  Connection& owner_;
  Link& link_;
  const Direction direction_;
  Socket& source_;
  Socket& destination_;
  Toxics toxics_;

  ByteRing ring_;
  ChunkQueue chunks_;
  std::uint64_t ready_ = 0;   // bytes up to this offset may be written
  std::uint64_t credit_ = 0;  // bytes already paid for in the link's bucket
  bool reading_ = false;
  bool writing_ = false;
  bool source_ended_ = false;
  bool passed_close_ = false;
  std::int64_t end_due_ns_ = 0;       // when the source's close may be passed on
  std::int64_t timeout_from_ns_ = 0;  // when the timeout toxic reached this pipe

  Timer timer_;
  bool armed_ = false;
  std::int64_t armed_at_ns_ = 0;
  std::uint64_t generation_ = 0;
};

}  // namespace faultline::proxy::detail
