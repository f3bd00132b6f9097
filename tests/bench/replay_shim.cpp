// SPDX-License-Identifier: MIT
// A bench-only LD_PRELOAD library: writes every statement a process runs through the shared
// libsqlite3, in the order it runs them, as a script the sqlite3 shell can replay
// (`.parameter set` for each bound value, then the statement's own text). bench.py builds it,
// runs lbib once under it on its synthetic register, and times the shell on the script: the
// sqlite3 column is then SQLite doing lbib's own statements with lbib's own values.
//
// It is no part of lbib: lbib never logs bound values (they may be personal data; its own
// $LBIB_SQL_LOG writes statement texts only). This library only runs on the bench's invented
// registers, and only when $LBIB_BENCH_REPLAY names the script to write.
//
//   c++ -std=c++17 -O2 -shared -fPIC -o replay_shim.so replay_shim.cpp -ldl
#include <dlfcn.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

namespace {

std::mutex g_mutex;
std::map<sqlite3_stmt*, std::map<int, std::string>> g_bound;  // statement → index → SQL literal
FILE* g_script = nullptr;

template <typename F>
F real(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

FILE* script() {
  if (g_script == nullptr) {
    const char* path = std::getenv("LBIB_BENCH_REPLAY");
    if (path != nullptr && *path != '\0') {
      g_script = std::fopen(path, "a");
    }
  }
  return g_script;
}

void remember(sqlite3_stmt* stmt, int index, std::string literal) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_bound[stmt][index] = std::move(literal);
}

std::string text_literal(const char* text, int bytes) {
  std::string out = "'";
  const std::size_t n = bytes < 0 ? std::strlen(text) : static_cast<std::size_t>(bytes);
  for (std::size_t i = 0; i < n; ++i) {
    out += text[i];
    if (text[i] == '\'') {
      out += '\'';
    }
  }
  return out + "'";
}

std::string blob_literal(const void* data, int bytes) {
  std::string out = "X'";
  const auto* p = static_cast<const unsigned char*>(data);
  for (int i = 0; i < bytes; ++i) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02X", p[i]);
    out += hex;
  }
  return out + "'";
}

// A shell dot-command argument: in double quotes, with '"' and '\' escaped.
std::string shell_argument(const std::string& literal) {
  std::string out = "\"";
  for (const char c : literal) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

int on_trace(unsigned type, void* /*context*/, void* p, void* x) {
  if (type != SQLITE_TRACE_STMT) {
    return 0;
  }
  const char* sql = static_cast<const char*>(x);
  if (sql == nullptr || std::strncmp(sql, "--", 2) == 0) {
    return 0;  // a trigger's program, run as part of its statement
  }
  auto* stmt = static_cast<sqlite3_stmt*>(p);
  std::lock_guard<std::mutex> lock(g_mutex);
  FILE* out = script();
  if (out == nullptr) {
    return 0;
  }
  const int count = sqlite3_bind_parameter_count(stmt);
  const auto bound = g_bound.find(stmt);
  for (int i = 1; i <= count; ++i) {
    const char* name = sqlite3_bind_parameter_name(stmt, i);
    std::string key = name != nullptr ? name : "?" + std::to_string(i);
    std::string value = "NULL";
    if (bound != g_bound.end()) {
      if (auto v = bound->second.find(i); v != bound->second.end()) {
        value = v->second;
      }
    }
    std::fprintf(out, ".parameter set %s %s\n", key.c_str(), shell_argument(value).c_str());
  }
  std::fprintf(out, "%s\n;\n", sql);
  return 0;
}

}  // namespace

extern "C" {

int sqlite3_open_v2(const char* filename, sqlite3** db, int flags, const char* vfs) {
  static auto open = real<int (*)(const char*, sqlite3**, int, const char*)>("sqlite3_open_v2");
  const int rc = open(filename, db, flags, vfs);
  if (rc == SQLITE_OK && script() != nullptr) {
    sqlite3_trace_v2(*db, SQLITE_TRACE_STMT, on_trace, nullptr);
  }
  return rc;
}

int sqlite3_bind_int(sqlite3_stmt* s, int i, int v) {
  static auto f = real<int (*)(sqlite3_stmt*, int, int)>("sqlite3_bind_int");
  remember(s, i, std::to_string(v));
  return f(s, i, v);
}

int sqlite3_bind_int64(sqlite3_stmt* s, int i, sqlite3_int64 v) {
  static auto f = real<int (*)(sqlite3_stmt*, int, sqlite3_int64)>("sqlite3_bind_int64");
  remember(s, i, std::to_string(v));
  return f(s, i, v);
}

int sqlite3_bind_double(sqlite3_stmt* s, int i, double v) {
  static auto f = real<int (*)(sqlite3_stmt*, int, double)>("sqlite3_bind_double");
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", v);
  remember(s, i, text);
  return f(s, i, v);
}

int sqlite3_bind_null(sqlite3_stmt* s, int i) {
  static auto f = real<int (*)(sqlite3_stmt*, int)>("sqlite3_bind_null");
  remember(s, i, "NULL");
  return f(s, i);
}

int sqlite3_bind_text(sqlite3_stmt* s, int i, const char* v, int n, void (*d)(void*)) {
  static auto f =
      real<int (*)(sqlite3_stmt*, int, const char*, int, void (*)(void*))>("sqlite3_bind_text");
  remember(s, i, v == nullptr ? "NULL" : text_literal(v, n));
  return f(s, i, v, n, d);
}

int sqlite3_bind_text64(sqlite3_stmt* s, int i, const char* v, sqlite3_uint64 n, void (*d)(void*),
                        unsigned char e) {
  static auto f = real<int (*)(sqlite3_stmt*, int, const char*, sqlite3_uint64, void (*)(void*),
                               unsigned char)>("sqlite3_bind_text64");
  remember(s, i, v == nullptr ? "NULL" : text_literal(v, static_cast<int>(n)));
  return f(s, i, v, n, d, e);
}

int sqlite3_bind_blob(sqlite3_stmt* s, int i, const void* v, int n, void (*d)(void*)) {
  static auto f =
      real<int (*)(sqlite3_stmt*, int, const void*, int, void (*)(void*))>("sqlite3_bind_blob");
  remember(s, i, v == nullptr ? "NULL" : blob_literal(v, n));
  return f(s, i, v, n, d);
}

int sqlite3_bind_zeroblob(sqlite3_stmt* s, int i, int n) {
  static auto f = real<int (*)(sqlite3_stmt*, int, int)>("sqlite3_bind_zeroblob");
  remember(s, i, "zeroblob(" + std::to_string(n) + ")");
  return f(s, i, n);
}

int sqlite3_bind_value(sqlite3_stmt* s, int i, const sqlite3_value* v) {
  static auto f = real<int (*)(sqlite3_stmt*, int, const sqlite3_value*)>("sqlite3_bind_value");
  auto* value = const_cast<sqlite3_value*>(v);
  switch (sqlite3_value_type(value)) {
    case SQLITE_INTEGER:
      remember(s, i, std::to_string(sqlite3_value_int64(value)));
      break;
    case SQLITE_FLOAT: {
      char text[40];
      std::snprintf(text, sizeof text, "%.17g", sqlite3_value_double(value));
      remember(s, i, text);
      break;
    }
    case SQLITE_TEXT:
      remember(s, i,
               text_literal(reinterpret_cast<const char*>(sqlite3_value_text(value)),
                            sqlite3_value_bytes(value)));
      break;
    case SQLITE_BLOB:
      remember(s, i, blob_literal(sqlite3_value_blob(value), sqlite3_value_bytes(value)));
      break;
    default:
      remember(s, i, "NULL");
  }
  return f(s, i, v);
}

int sqlite3_clear_bindings(sqlite3_stmt* s) {
  static auto f = real<int (*)(sqlite3_stmt*)>("sqlite3_clear_bindings");
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_bound.erase(s);
  }
  return f(s);
}

int sqlite3_finalize(sqlite3_stmt* s) {
  static auto f = real<int (*)(sqlite3_stmt*)>("sqlite3_finalize");
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_bound.erase(s);
  }
  return f(s);
}

}  // extern "C"
