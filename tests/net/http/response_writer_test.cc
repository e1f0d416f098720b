#include "net/http/response_writer.h"

#include <string>

#include "gtest/gtest.h"

namespace shardd::http {
namespace {

TEST(HttpResponseWriterTest, WritesStatusHeadersAndBody) {
  std::string out;
  WriteResponse({.status = 200, .content_type = "text/plain", .body = "ok\n"},
                &out);
  EXPECT_EQ(out,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
            "Content-Length: 3\r\nConnection: keep-alive\r\n\r\nok\n");
}

TEST(HttpResponseWriterTest, CloseAllowAndHead) {
  std::string out;
  WriteResponse({.status = 405,
                 .body = "no\n",
                 .keep_alive = false,
                 .omit_body = true,
                 .allow = "GET, HEAD"},
                &out);
  EXPECT_EQ(out,
            "HTTP/1.1 405 Method Not Allowed\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\n"
            "Allow: GET, HEAD\r\nConnection: close\r\n\r\n");
}

TEST(HttpResponseWriterTest, ReasonPhrases) {
  EXPECT_EQ(ReasonPhrase(404), "Not Found");
  EXPECT_EQ(ReasonPhrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(ReasonPhrase(501), "Not Implemented");
}

}  // namespace
}  // namespace shardd::http
