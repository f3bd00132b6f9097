// SPDX-License-Identifier: MIT
#include <random>
#include <set>
#include <string>

#include "helpers.hpp"
#include "lbib/text/string_set.hpp"

using lbib::text::StringSet;

TEST_CASE("StringSet: insert, find and erase") {
  StringSet set;
  CHECK(set.empty());
  CHECK_FALSE(set.contains("anna"));
  CHECK_FALSE(set.erase("anna"));
  CHECK(set.insert("anna"));
  CHECK_FALSE(set.insert("anna"));  // once
  CHECK(set.insert(""));            // the empty string is a string like any other
  CHECK(set.insert(std::string("a\0b", 3)));
  CHECK(set.size() == 3);
  CHECK(set.contains("anna"));
  CHECK(set.contains(""));
  CHECK(set.contains(std::string("a\0b", 3)));
  CHECK_FALSE(set.contains("a"));
  CHECK_FALSE(set.contains("ann"));
  CHECK_FALSE(set.contains("annas"));
  CHECK(set.erase("anna"));
  CHECK_FALSE(set.contains("anna"));
  CHECK_FALSE(set.erase("anna"));
  CHECK(set.size() == 2);
  CHECK(set.insert("anna"));  // back again, in the slot it left
  CHECK(set.contains("anna"));
  CHECK(set.size() == 3);
}

TEST_CASE("StringSet: the same answers as std::set through growth and removals") {
  // Random insertions, removals and lookups of keys from a small alphabet (so that the same
  // key comes back, often after it was removed), checked step by step against std::set.
  std::mt19937 random(20261202);
  const auto key = [&random] {
    std::uniform_int_distribution<int> length(0, 6);
    std::uniform_int_distribution<int> letter('a', 'd');
    std::string k;
    for (int n = length(random); n > 0; --n) {
      k.push_back(static_cast<char>(letter(random)));
    }
    return k;
  };
  StringSet set;
  std::set<std::string> expected;
  std::uniform_int_distribution<int> action(0, 9);
  for (int step = 0; step < 200000; ++step) {
    const auto k = key();
    const int a = action(random);
    if (a < 5) {
      REQUIRE(set.insert(k) == expected.insert(k).second);
    } else if (a < 8) {
      REQUIRE(set.erase(k) == (expected.erase(k) == 1));
    } else {
      REQUIRE(set.contains(k) == (expected.count(k) == 1));
    }
    REQUIRE(set.size() == expected.size());
  }
  for (const auto& k : expected) {
    CHECK(set.contains(k));
  }
  std::size_t found = 0;
  for (int n = 0; n < 20000; ++n) {
    const auto k = key();
    CHECK(set.contains(k) == (expected.count(k) == 1));
    found += expected.count(k);
  }
  CHECK(found > 0);  // the lookups did find some
}
