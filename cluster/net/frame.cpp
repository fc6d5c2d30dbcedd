#include "cluster/net/frame.hpp"

namespace faultline::net {

void append_frame(std::string& out, std::string_view payload) {
  const auto length = static_cast<std::uint32_t>(payload.size());
  out.push_back(static_cast<char>((length >> 24) & 0xff));
  out.push_back(static_cast<char>((length >> 16) & 0xff));
  out.push_back(static_cast<char>((length >> 8) & 0xff));
  out.push_back(static_cast<char>(length & 0xff));
  out.append(payload);
}

void FrameReader::feed(const char* data, std::size_t size) {
  // Consumed bytes are dropped once they outweigh what is still pending, so
  // the buffer stays near the largest frame in flight.
  if (start_ > 0 && start_ >= buffer_.size() - start_) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  buffer_.append(data, size);
}

FrameReader::Next FrameReader::next(std::string& payload, std::string& error) {
  const std::size_t available = buffer_.size() - start_;
  if (available < 4) return Next::need_more;
  const auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(buffer_[start_ + i]));
  };
  const std::size_t length = (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
  // Checked before any payload arrives: a corrupt length must not make the
  // reader wait for (and buffer) gigabytes.
  if (length > max_) {
    error = "frame of " + std::to_string(length) + " bytes exceeds the limit of " +
            std::to_string(max_) + " bytes";
    return Next::error;
  }
  if (available - 4 < length) return Next::need_more;
  payload.assign(buffer_, start_ + 4, length);
  start_ += 4 + length;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  }
  return Next::frame;
}

}  // namespace faultline::net
