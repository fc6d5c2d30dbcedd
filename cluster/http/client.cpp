#include "cluster/http/client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace faultline::http {

namespace {

void global_init_once() {
  static std::once_flag flag;
  std::call_once(flag, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t keep_header(char* data, std::size_t size, std::size_t count, void* user) {
  const std::string line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    const auto first = value.find_first_not_of(" \t");
    const auto last = value.find_last_not_of(" \t\r\n");
    value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
  }
  return size * count;
}

}  // namespace

struct Client::Impl {
  CURL* curl = nullptr;
  curl_slist* headers = nullptr;
  std::string interface;  // "host!ADDRESS" or empty
};

void Client::set_source_address(std::string address) {
  impl_->interface = address.empty() ? "" : "host!" + address;
}

Client::Client() : impl_(std::make_unique<Impl>()) {
  global_init_once();
  impl_->curl = curl_easy_init();
  impl_->headers = curl_slist_append(nullptr, "Content-Type: application/json");
  // Without this, curl adds "Expect: 100-continue" to larger bodies and waits.
  impl_->headers = curl_slist_append(impl_->headers, "Expect:");
}

Client::~Client() {
  curl_slist_free_all(impl_->headers);
  curl_easy_cleanup(impl_->curl);
}

ClientResponse Client::request(const std::string& method, const std::string& url,
                               const std::string& body, long timeout_ms) {
  RequestOptions options;
  options.timeout_ms = timeout_ms;
  return request(method, url, body, options);
}

ClientResponse Client::request(const std::string& method, const std::string& url, const std::string& body,
                               const RequestOptions& options) {
  ClientResponse response;
  CURL* curl = impl_->curl;
  const long timeout_ms = options.timeout_ms;
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  // Per-request headers extend the defaults; a later "Name: value" replaces
  // an earlier one of the same name in libcurl.
  curl_slist* extra = nullptr;
  if (!options.headers.empty()) {
    extra = curl_slist_append(extra, "Content-Type: application/json");
    extra = curl_slist_append(extra, "Expect:");
    for (const auto& [name, value] : options.headers) {
      extra = curl_slist_append(extra, (name + ": " + value).c_str());
    }
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, extra != nullptr ? extra : impl_->headers);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, keep_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  if (!impl_->interface.empty()) curl_easy_setopt(curl, CURLOPT_INTERFACE, impl_->interface.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   options.connect_timeout_ms > 0 ? std::min(options.connect_timeout_ms, timeout_ms) : timeout_ms);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(extra);
  switch (code) {
    case CURLE_OK:
      response.transport = ClientResponse::Transport::ok;
      response.maybe_sent = true;
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
      return response;
    case CURLE_COULDNT_CONNECT:
      response.transport = ClientResponse::Transport::refused;
      break;
    case CURLE_OPERATION_TIMEDOUT: {
      response.transport = ClientResponse::Transport::timeout;
      // A timeout before the connection was made cannot have been applied;
      // once connected, the request may have been read and acted on. A
      // kept-alive connection reports no connect time of this transfer, so
      // the bytes of request already sent count too.
      curl_off_t connected_after_us = 0;
      long request_bytes = 0;
      curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected_after_us);
      curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_bytes);
      response.maybe_sent = connected_after_us > 0 || request_bytes > 0;
      break;
    }
    default:
      response.transport = ClientResponse::Transport::error;
      response.maybe_sent = true;
      break;
  }
  response.error = curl_easy_strerror(code);
  return response;
}

}  // namespace faultline::http
