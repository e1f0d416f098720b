#include "shard/kv/store/entry.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "shard/kv/store/hash_value.h"
#include "shard/kv/store/list_value.h"
#include "shard/kv/store/set_value.h"
#include "shard/kv/store/zset_value.h"

namespace shardd::kv {
namespace {

// realloc (of null: malloc) that treats running out of memory as operator
// new does. `size` is never 0: such strings are inline.
char* ResizeBlock(char* block, size_t size) {
  void* resized = std::realloc(block, size);
  if (resized == nullptr) throw std::bad_alloc();
  return static_cast<char*>(resized);
}

}  // namespace

Entry::Entry(Entry&& other) noexcept { TakeValue(other); }

Entry& Entry::operator=(Entry&& other) noexcept {
  if (this != &other) {
    Reset();
    TakeValue(other);
  }
  return *this;
}

void Entry::TakeValue(Entry& other) {
  // Copy the union as bytes: inline text is not a pointer.
  std::memcpy(static_cast<void*>(&text_), &other.text_, sizeof(text_));
  expire_at_ms_ = other.expire_at_ms_;
  text_size_ = std::exchange(other.text_size_, 0);
  type_ = std::exchange(other.type_, ValueType::kString);
  other.text_ = nullptr;
}

Entry Entry::Clone() const {
  Entry copy;
  copy.expire_at_ms_ = expire_at_ms_;
  switch (type_) {
    case ValueType::kString:
      copy.AssignString(string());
      break;
    case ValueType::kList:
      copy.list_ = new ListValue(*list_);
      break;
    case ValueType::kHash:
      copy.hash_ = new HashValue(*hash_);
      break;
    case ValueType::kSet:
      copy.set_ = new SetValue(*set_);
      break;
    case ValueType::kZSet:
      copy.zset_ = new ZSetValue(*zset_);
      break;
  }
  copy.type_ = type_;
  return copy;
}

bool Entry::operator==(const Entry& other) const {
  if (expire_at_ms_ != other.expire_at_ms_ || type_ != other.type_) {
    return false;
  }
  switch (type_) {
    case ValueType::kString:
      return string() == other.string();
    case ValueType::kList:
      return *list_ == *other.list_;
    case ValueType::kHash:
      return *hash_ == *other.hash_;
    case ValueType::kSet:
      return *set_ == *other.set_;
    case ValueType::kZSet:
      return *zset_ == *other.zset_;
  }
  return false;
}

void Entry::AssignString(std::string_view value) {
  if (type_ != ValueType::kString) Reset();
  const size_t size = value.size();
  // `value` may view this entry's own bytes: copy before freeing them.
  if (size <= kInlineBytes) {
    char bytes[kInlineBytes];
    if (size != 0) std::memcpy(bytes, value.data(), size);
    if (!text_inline()) std::free(text_);
    if (size != 0) std::memcpy(inline_text_, bytes, size);
  } else if (size != text_size_) {
    // The old bytes are not kept, so a block that must change size is not
    // copied: allocate afresh instead of realloc.
    char* block = ResizeBlock(nullptr, size);
    std::memcpy(block, value.data(), size);
    if (!text_inline()) std::free(text_);
    text_ = block;
  } else {
    std::memmove(text_, value.data(), size);
  }
  text_size_ = static_cast<uint32_t>(size);
}

char* Entry::ResizeString(size_t size) {
  assert(type_ == ValueType::kString);
  const size_t old_size = text_size_;
  if (size == old_size) return text_bytes();
  if (old_size > kInlineBytes && size <= kInlineBytes) {
    char* block = text_;
    std::memcpy(inline_text_, block, size);
    std::free(block);
  } else if (old_size <= kInlineBytes && size > kInlineBytes) {
    char* block = ResizeBlock(nullptr, size);
    std::memcpy(block, inline_text_, old_size);
    text_ = block;
  } else if (size > kInlineBytes) {
    text_ = ResizeBlock(text_, size);
  }
  text_size_ = static_cast<uint32_t>(size);
  char* bytes = text_bytes();
  if (size > old_size) std::memset(bytes + old_size, 0, size - old_size);
  return bytes;
}

void Entry::MakeAggregate(ValueType type) {
  Reset();
  switch (type) {
    case ValueType::kString:
      return;
    case ValueType::kList:
      list_ = new ListValue();
      break;
    case ValueType::kHash:
      hash_ = new HashValue();
      break;
    case ValueType::kSet:
      set_ = new SetValue();
      break;
    case ValueType::kZSet:
      zset_ = new ZSetValue();
      break;
  }
  type_ = type;
}

void Entry::Reset() {
  switch (type_) {
    case ValueType::kString:
      if (!text_inline()) std::free(text_);
      break;
    case ValueType::kList:
      delete list_;
      break;
    case ValueType::kHash:
      delete hash_;
      break;
    case ValueType::kSet:
      delete set_;
      break;
    case ValueType::kZSet:
      delete zset_;
      break;
  }
  text_ = nullptr;
  text_size_ = 0;
  type_ = ValueType::kString;
}

}  // namespace shardd::kv
