// Stand-in for the header-only ankerl::unordered_dense (not packaged in Debian 12): Abseil's Swiss
// tables, which Debian packages and the worker already links for libwebrtc. Like the original they
// are flat open-addressing maps (a std::unordered_map stand-in cost up to 13% more worker CPU per
// forwarded packet, BENCHMARKS.md). Code written for unordered_dense (whose erase moves elements)
// assumes no more iterator stability than Abseil gives; only erase(iterator) differs: unordered_dense
// returns the next iterator, Abseil nothing, so these wrappers return it.
#pragma once
#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <absl/hash/hash.h>
#include <functional>
#include <iterator>
namespace ankerl::unordered_dense {
template <class T> struct hash : absl::Hash<T> {};

template <class K, class V, class H = hash<K>, class E = std::equal_to<K>>
class map : public absl::flat_hash_map<K, V, H, E> {
  using base = absl::flat_hash_map<K, V, H, E>;
public:
  using base::base;
  using base::erase;
  typename base::iterator erase(typename base::const_iterator it) { return base::erase(it, std::next(it)); }
  typename base::iterator erase(typename base::iterator it) { return base::erase(it, std::next(it)); }
};

template <class K, class H = hash<K>, class E = std::equal_to<K>>
class set : public absl::flat_hash_set<K, H, E> {
  using base = absl::flat_hash_set<K, H, E>;
public:
  using base::base;
  using base::erase;
  typename base::iterator erase(typename base::const_iterator it) { return base::erase(it, std::next(it)); }
  typename base::iterator erase(typename base::iterator it) { return base::erase(it, std::next(it)); }
};
}
