#include "shard/files/content_type.h"

#include "gtest/gtest.h"

namespace shardd::files {
namespace {

TEST(ContentTypeTest, KnownExtensions) {
  EXPECT_EQ(ContentTypeOf("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("old.htm"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("site.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("app.js"), "application/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("mod.mjs"), "application/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("data.json"), "application/json; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("notes.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("README.md"), "text/markdown; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("feed.xml"), "text/xml; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("rows.csv"), "text/csv; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeOf("a.png"), "image/png");
  EXPECT_EQ(ContentTypeOf("a.jpg"), "image/jpeg");
  EXPECT_EQ(ContentTypeOf("a.jpeg"), "image/jpeg");
  EXPECT_EQ(ContentTypeOf("a.gif"), "image/gif");
  EXPECT_EQ(ContentTypeOf("a.webp"), "image/webp");
  EXPECT_EQ(ContentTypeOf("favicon.ico"), "image/x-icon");
  EXPECT_EQ(ContentTypeOf("a.avif"), "image/avif");
  EXPECT_EQ(ContentTypeOf("a.pdf"), "application/pdf");
  EXPECT_EQ(ContentTypeOf("a.zip"), "application/zip");
  EXPECT_EQ(ContentTypeOf("a.gz"), "application/gzip");
  EXPECT_EQ(ContentTypeOf("a.tar"), "application/x-tar");
  EXPECT_EQ(ContentTypeOf("a.wasm"), "application/wasm");
  EXPECT_EQ(ContentTypeOf("a.mp4"), "video/mp4");
  EXPECT_EQ(ContentTypeOf("a.webm"), "video/webm");
  EXPECT_EQ(ContentTypeOf("a.mp3"), "audio/mpeg");
  EXPECT_EQ(ContentTypeOf("a.ogg"), "audio/ogg");
  EXPECT_EQ(ContentTypeOf("a.woff"), "font/woff");
  EXPECT_EQ(ContentTypeOf("a.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeOf("a.ttf"), "font/ttf");
  EXPECT_EQ(ContentTypeOf("a.otf"), "font/otf");
}

TEST(ContentTypeTest, ExtensionInAnyCase) {
  EXPECT_EQ(ContentTypeOf("INDEX.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("Index.Html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("photo.JPG"), "image/jpeg");
  EXPECT_EQ(ContentTypeOf("photo.JpEg"), "image/jpeg");
  EXPECT_EQ(ContentTypeOf("font.WOFF2"), "font/woff2");
}

TEST(ContentTypeTest, InAPath) {
  EXPECT_EQ(ContentTypeOf("a/b/c.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeOf("a.d/c.png"), "image/png");
}

TEST(ContentTypeTest, UnknownOrMissingExtensionIsDefault) {
  EXPECT_EQ(ContentTypeOf(""), kDefaultContentType);
  EXPECT_EQ(ContentTypeOf("Makefile"), kDefaultContentType);
  EXPECT_EQ(ContentTypeOf("a.unknown"), kDefaultContentType);
  EXPECT_EQ(ContentTypeOf("a.exe"), kDefaultContentType);
  EXPECT_EQ(ContentTypeOf("trailing."), kDefaultContentType);
  EXPECT_EQ(ContentTypeOf("a.html~"), kDefaultContentType);
  EXPECT_EQ(ContentTypeOf("a.htmlx"), kDefaultContentType);
  EXPECT_EQ(ContentTypeOf("a.h"), kDefaultContentType);  // no prefix match
  EXPECT_EQ(ContentTypeOf("html"), kDefaultContentType);
}

TEST(ContentTypeTest, DotfilesAreDefault) {
  EXPECT_EQ(ContentTypeOf(".bashrc"), kDefaultContentType);
  EXPECT_EQ(ContentTypeOf(".html"), kDefaultContentType);
  EXPECT_EQ(ContentTypeOf("dir/.css"), kDefaultContentType);
  // A dotfile with an extension of its own has one.
  EXPECT_EQ(ContentTypeOf(".config.json"), "application/json; charset=utf-8");
}

TEST(ContentTypeTest, LastExtensionWins) {
  EXPECT_EQ(ContentTypeOf("archive.tar.gz"), "application/gzip");
  EXPECT_EQ(ContentTypeOf("page.html.txt"), "text/plain; charset=utf-8");
}

TEST(ContentTypeTest, DotInADirectoryDoesNotCount) {
  EXPECT_EQ(ContentTypeOf("a.d/file"), kDefaultContentType);
  EXPECT_EQ(ContentTypeOf("site.html/README"), kDefaultContentType);
  EXPECT_EQ(ContentTypeOf("a.png/"), kDefaultContentType);
}

}  // namespace
}  // namespace shardd::files
