// RegisteredFiles on a ring of its own: a socket installed in the table is
// reached by index alone once its descriptor is closed, an entry removed
// closes its socket and is reused, and a full table refuses.
#include "shard/registered_files.h"

#include <liburing.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace shardd {
namespace {

// read(2) of what `fd` has within 5 s: a regression fails the test instead
// of hanging it. -2 when nothing came.
ssize_t ReadWithin(int fd, char* buffer, size_t size) {
  pollfd ready{.fd = fd, .events = POLLIN, .revents = 0};
  if (poll(&ready, 1, 5000) != 1) return -2;
  return read(fd, buffer, size);
}

class RegisteredFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(io_uring_queue_init(8, &ring_, 0), 0);
    ring_ready_ = true;
  }
  void TearDown() override {
    table_.reset();
    if (ring_ready_) io_uring_queue_exit(&ring_);
  }

  // A connected pair: `ours` goes into the table, `peer` stays with the
  // test.
  void SocketPair(int* ours, int* peer) {
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    *ours = fds[0];
    *peer = fds[1];
  }

  // Sends `text` through table entry `index`; the CQE's result.
  int SendByIndex(int index, const std::string& text) {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    io_uring_prep_send(sqe, index, text.data(), text.size(), MSG_NOSIGNAL);
    sqe->flags |= IOSQE_FIXED_FILE;
    EXPECT_EQ(io_uring_submit(&ring_), 1);
    io_uring_cqe* cqe = nullptr;
    EXPECT_EQ(io_uring_wait_cqe(&ring_, &cqe), 0);
    const int result = cqe->res;
    io_uring_cqe_seen(&ring_, cqe);
    return result;
  }

  io_uring ring_{};
  bool ring_ready_ = false;
  std::unique_ptr<RegisteredFiles> table_;
};

TEST_F(RegisteredFilesTest, ReachesSocketsByIndexAndReusesEntries) {
  absl::StatusOr<std::unique_ptr<RegisteredFiles>> table =
      RegisteredFiles::Register(&ring_, 2);
  ASSERT_TRUE(table.ok()) << table.status();
  table_ = *std::move(table);
  EXPECT_EQ(table_->size(), 2u);

  int first = -1, first_peer = -1, second = -1, second_peer = -1;
  SocketPair(&first, &first_peer);
  SocketPair(&second, &second_peer);
  const std::optional<int> a = table_->Install(first);
  const std::optional<int> b = table_->Install(second);
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_NE(*a, *b);
  EXPECT_EQ(table_->used(), 2u);
  // The table holds the sockets: their descriptors can go.
  close(first);
  close(second);

  ASSERT_EQ(SendByIndex(*a, "to a"), 4);
  ASSERT_EQ(SendByIndex(*b, "to b"), 4);
  char got[8] = {};
  ASSERT_EQ(ReadWithin(first_peer, got, sizeof(got)), 4);
  EXPECT_EQ(std::string(got, 4), "to a");
  ASSERT_EQ(ReadWithin(second_peer, got, sizeof(got)), 4);
  EXPECT_EQ(std::string(got, 4), "to b");

  // Full: a third socket stays a descriptor.
  int third = -1, third_peer = -1;
  SocketPair(&third, &third_peer);
  EXPECT_FALSE(table_->Install(third).has_value());

  // Removing the entry drops the last reference: the peer sees the end.
  table_->Remove(*a);
  EXPECT_EQ(table_->used(), 1u);
  EXPECT_EQ(ReadWithin(first_peer, got, sizeof(got)), 0);

  // The freed entry takes the third socket, and sends reach it, not the
  // first's.
  const std::optional<int> c = table_->Install(third);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(*c, *a);
  close(third);
  ASSERT_EQ(SendByIndex(*c, "to c"), 4);
  ASSERT_EQ(ReadWithin(third_peer, got, sizeof(got)), 4);
  EXPECT_EQ(std::string(got, 4), "to c");

  table_->Remove(*b);
  table_->Remove(*c);
  EXPECT_EQ(table_->used(), 0u);
  EXPECT_EQ(ReadWithin(second_peer, got, sizeof(got)), 0);
  EXPECT_EQ(ReadWithin(third_peer, got, sizeof(got)), 0);
  close(first_peer);
  close(second_peer);
  close(third_peer);
}

// An SQE prepared for an entry before its removal goes out first, so it
// cannot reach the socket the entry holds next.
TEST_F(RegisteredFilesTest, RemoveSubmitsWhatWasPreparedFirst) {
  absl::StatusOr<std::unique_ptr<RegisteredFiles>> table =
      RegisteredFiles::Register(&ring_, 1);
  ASSERT_TRUE(table.ok()) << table.status();
  table_ = *std::move(table);
  int old_socket = -1, old_peer = -1, new_socket = -1, new_peer = -1;
  SocketPair(&old_socket, &old_peer);
  SocketPair(&new_socket, &new_peer);
  const std::optional<int> index = table_->Install(old_socket);
  ASSERT_TRUE(index.has_value());
  close(old_socket);

  const std::string text = "late";
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  io_uring_prep_send(sqe, *index, text.data(), text.size(), MSG_NOSIGNAL);
  sqe->flags |= IOSQE_FIXED_FILE;
  table_->Remove(*index);  // submits the send, then empties the entry
  ASSERT_EQ(table_->Install(new_socket), index);
  close(new_socket);

  // (Submits the send here if Remove had not.)
  ASSERT_GE(io_uring_submit_and_wait(&ring_, 1), 0);
  io_uring_cqe* cqe = nullptr;
  ASSERT_EQ(io_uring_peek_cqe(&ring_, &cqe), 0);
  EXPECT_EQ(cqe->res, 4);
  io_uring_cqe_seen(&ring_, cqe);
  char got[8] = {};
  EXPECT_EQ(ReadWithin(old_peer, got, sizeof(got)), 4);
  // The new socket got nothing: only its end, once removed.
  table_->Remove(*index);
  EXPECT_EQ(ReadWithin(new_peer, got, sizeof(got)), 0);
  close(old_peer);
  close(new_peer);
}

// From Linux 6.13 on an emptied entry's socket closes at once; shardd
// registers sockets only where the probe says so (and the integration
// tests of registered sockets skip otherwise), so it must not say no here.
TEST(RegisteredFilesProbeTest, NewKernelsCloseAtOnce) {
  utsname name{};
  ASSERT_EQ(uname(&name), 0);
  int major = 0, minor = 0;
  ASSERT_EQ(std::sscanf(name.release, "%d.%d", &major, &minor), 2);
  if (major < 6 || (major == 6 && minor < 13)) {
    GTEST_SKIP() << "Linux " << name.release << " predates 6.13";
  }
  const absl::Status probe = RegisteredFiles::ProbeClosesAtOnce();
  EXPECT_TRUE(probe.ok()) << probe;
}

}  // namespace
}  // namespace shardd
