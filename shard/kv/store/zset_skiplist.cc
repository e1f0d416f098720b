#include "shard/kv/store/zset_skiplist.h"

#include <new>

namespace shardd::kv {
namespace {

// True if (score, member) sorts before `node`.
bool Before(double score, std::string_view member, const ZSetNode& node) {
  return score < node.score ||
         (score == node.score && member < std::string_view(node.member));
}

// True if `node` sorts before (score, member).
bool After(double score, std::string_view member, const ZSetNode& node) {
  return node.score < score ||
         (node.score == score && std::string_view(node.member) < member);
}

}  // namespace

ZSetSkipList::ZSetSkipList()
    : head_(NewNode(kMaxHeight, 0, {}, 0)),
      random_state_(reinterpret_cast<uintptr_t>(this) | 1) {}

ZSetSkipList::~ZSetSkipList() {
  ZSetNode* node = head_;
  while (node != nullptr) {
    ZSetNode* next = node->next();
    DeleteNode(node);
    node = next;
  }
}

ZSetNode* ZSetSkipList::NewNode(int height, double score,
                                std::string_view member, uint64_t hash) {
  void* memory =
      ::operator new(sizeof(ZSetNode) + sizeof(ZSetNode::Level) * height);
  auto* node = new (memory)
      ZSetNode{std::string(member), score, hash, nullptr, nullptr, height};
  for (int i = 0; i < height; ++i) {
    new (&node->levels()[i]) ZSetNode::Level{nullptr, 0};
  }
  return node;
}

void ZSetSkipList::DeleteNode(ZSetNode* node) {
  node->~ZSetNode();
  ::operator delete(node);
}

int ZSetSkipList::RandomHeight() {
  // xorshift64: cheap, and the heights only need to look random.
  int height = 1;
  while (height < kMaxHeight) {
    random_state_ ^= random_state_ << 13;
    random_state_ ^= random_state_ >> 7;
    random_state_ ^= random_state_ << 17;
    // Each level holds a quarter of the one below, as in Redis: fewer
    // pointers per node for a slightly longer search.
    if ((random_state_ & 3) != 0) break;
    ++height;
  }
  return height;
}

ZSetNode* ZSetSkipList::Insert(double score, std::string_view member,
                               uint64_t hash) {
  ZSetNode* update[kMaxHeight];
  size_t rank[kMaxHeight];  // rank of update[i] (the head is rank 0)
  ZSetNode* x = head_;
  for (int i = height_ - 1; i >= 0; --i) {
    rank[i] = i == height_ - 1 ? 0 : rank[i + 1];
    while (x->levels()[i].forward != nullptr &&
           After(score, member, *x->levels()[i].forward)) {
      rank[i] += x->levels()[i].span;
      x = x->levels()[i].forward;
    }
    update[i] = x;
  }
  const int height = RandomHeight();
  for (int i = height_; i < height; ++i) {
    rank[i] = 0;
    update[i] = head_;
    head_->levels()[i] = {nullptr, size_};
  }
  if (height > height_) height_ = height;

  ZSetNode* node = NewNode(height, score, member, hash);
  for (int i = 0; i < height; ++i) {
    ZSetNode::Level& before = update[i]->levels()[i];
    const size_t skipped = rank[0] - rank[i];
    node->levels()[i] = {before.forward, before.span - skipped};
    before = {node, skipped + 1};
  }
  for (int i = height; i < height_; ++i) ++update[i]->levels()[i].span;

  node->backward = update[0] == head_ ? nullptr : update[0];
  if (node->next() != nullptr) node->next()->backward = node;
  ++size_;
  return node;
}

void ZSetSkipList::Erase(ZSetNode* node) {
  ZSetNode* update[kMaxHeight];
  ZSetNode* x = head_;
  for (int i = height_ - 1; i >= 0; --i) {
    while (x->levels()[i].forward != nullptr &&
           After(node->score, node->member, *x->levels()[i].forward)) {
      x = x->levels()[i].forward;
    }
    update[i] = x;
  }
  for (int i = 0; i < height_; ++i) {
    ZSetNode::Level& before = update[i]->levels()[i];
    if (before.forward == node) {
      before = {node->levels()[i].forward,
                before.span + node->levels()[i].span - 1};
    } else {
      --before.span;
    }
  }
  if (node->next() != nullptr) node->next()->backward = node->backward;
  while (height_ > 1 && head_->levels()[height_ - 1].forward == nullptr) {
    --height_;
  }
  --size_;
  DeleteNode(node);
}

size_t ZSetSkipList::RankOf(const ZSetNode* node) const {
  size_t rank = 0;
  const ZSetNode* x = head_;
  for (int i = height_ - 1; i >= 0; --i) {
    while (x->levels()[i].forward != nullptr &&
           !Before(node->score, node->member, *x->levels()[i].forward)) {
      rank += x->levels()[i].span;
      x = x->levels()[i].forward;
    }
    if (x == node) return rank - 1;
  }
  return rank - 1;  // not reached for a node of this list
}

ZSetNode* ZSetSkipList::AtRank(size_t rank) const {
  const size_t target = rank + 1;  // spans count the head as rank 0
  size_t traversed = 0;
  ZSetNode* x = head_;
  for (int i = height_ - 1; i >= 0; --i) {
    while (x->levels()[i].forward != nullptr &&
           traversed + x->levels()[i].span <= target) {
      traversed += x->levels()[i].span;
      x = x->levels()[i].forward;
    }
    if (traversed == target) return x;
  }
  return nullptr;
}

size_t ZSetSkipList::CountWhile(
    absl::FunctionRef<bool(const ZSetNode& node)> before) const {
  size_t count = 0;
  const ZSetNode* x = head_;
  for (int i = height_ - 1; i >= 0; --i) {
    while (x->levels()[i].forward != nullptr &&
           before(*x->levels()[i].forward)) {
      count += x->levels()[i].span;
      x = x->levels()[i].forward;
    }
  }
  return count;
}

}  // namespace shardd::kv
