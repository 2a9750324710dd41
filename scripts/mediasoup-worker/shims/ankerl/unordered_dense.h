// Stand-in for the header-only ankerl::unordered_dense (not packaged in Debian 12) over the
// standard containers: every use in mediasoup's worker is map/set/hash with the std interface.
#pragma once
#include <functional>
#include <unordered_map>
#include <unordered_set>
namespace ankerl::unordered_dense {
template <class T> struct hash : std::hash<T> {};
template <class K, class V, class H = hash<K>, class E = std::equal_to<K>> using map = std::unordered_map<K, V, H, E>;
template <class K, class H = hash<K>, class E = std::equal_to<K>> using set = std::unordered_set<K, H, E>;
}
