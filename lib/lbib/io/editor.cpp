// SPDX-License-Identifier: MIT
#include "lbib/io/editor.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "lbib/error.hpp"
#include "lbib/io/files.hpp"

namespace lbib::io {
namespace {

// The file being edited, for the signal handler: a fixed buffer, as only async-signal-safe
// calls may be made there.
char g_editing[4096] = {};

extern "C" void remove_and_reraise(int sig) {
  if (g_editing[0] != '\0') {
    ::unlink(g_editing);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Removes the file whatever happens after it was made: on return, on an exception, and on
// SIGHUP, SIGTERM or SIGINT (a closed terminal, kill, Ctrl-C) while lbib waits for the editor.
class RemoveOnExit {
 public:
  explicit RemoveOnExit(const std::string& path) : m_path(path) {
    std::snprintf(g_editing, sizeof g_editing, "%s", path.c_str());
    struct sigaction sa {};
    sa.sa_handler = remove_and_reraise;
    ::sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < m_signals.size(); ++i) {
      ::sigaction(m_signals[i], &sa, &m_old[i]);
    }
  }
  ~RemoveOnExit() {
    ::unlink(m_path.c_str());
    for (std::size_t i = 0; i < m_signals.size(); ++i) {
      ::sigaction(m_signals[i], &m_old[i], nullptr);
    }
    g_editing[0] = '\0';
  }
  RemoveOnExit(const RemoveOnExit&) = delete;
  RemoveOnExit& operator=(const RemoveOnExit&) = delete;

 private:
  std::string m_path;
  std::array<int, 3> m_signals{SIGHUP, SIGTERM, SIGINT};
  std::array<struct sigaction, 3> m_old{};
};

// Files an earlier lbib left when it was killed outright (SIGKILL cannot be caught): the
// name carries the process id, and a file whose process is gone is removed.
void remove_stale(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const auto name = entry.path().filename().string();
    if (name.rfind("lbib-edit-", 0) != 0) {
      continue;
    }
    const auto pid = std::atol(name.c_str() + 10);
    struct stat st {};
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH &&
        ::lstat(entry.path().c_str(), &st) == 0 && st.st_uid == ::getuid()) {
      ::unlink(entry.path().c_str());
    }
  }
}

bool usable_dir(const std::string& dir) {
  struct stat st {};
  return !dir.empty() && ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
         ::access(dir.c_str(), W_OK | X_OK) == 0;
}

std::string trim_lines(const std::string& s) {
  const auto first = s.find_first_not_of("\n \t");
  if (first == std::string::npos) {
    return {};
  }
  const auto line_start = s.rfind('\n', first);
  const auto begin = line_start == std::string::npos ? 0 : line_start + 1;
  const auto last = s.find_last_not_of("\n \t");
  return s.substr(begin, last + 1 - begin);
}

}  // namespace

std::string private_temp_dir(const std::function<std::optional<std::string>(const char*)>& getenv) {
  if (auto runtime = getenv("XDG_RUNTIME_DIR"); runtime && usable_dir(*runtime)) {
    return *runtime;
  }
  if (usable_dir("/dev/shm")) {
    return "/dev/shm";
  }
  if (auto tmp = getenv("TMPDIR"); tmp && usable_dir(*tmp)) {
    return *tmp;
  }
  return "/tmp";
}

std::vector<std::string> parse_edited(const std::string& content,
                                      const std::vector<EditField>& fields) {
  std::vector<std::string> texts(fields.size());
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t current = none;
  std::istringstream in(content);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.rfind("# --", 0) == 0) {
      const auto name = line.substr(
          2, line.find(':') == std::string::npos ? std::string::npos : line.find(':') - 2);
      current = none;
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].option == name) {
          current = i;
        }
      }
      continue;
    }
    if (line.rfind('#', 0) == 0 || current == none) {
      continue;
    }
    texts[current] += line + '\n';
  }
  for (auto& t : texts) {
    t = trim_lines(t);
  }
  return texts;
}

std::vector<std::string> edit_texts(const std::string& editor, const std::string& dir,
                                    const std::string& intro,
                                    const std::vector<EditField>& fields) {
  remove_stale(dir);
  std::string path = dir + "/lbib-edit-" + std::to_string(::getpid()) + "-XXXXXX.txt";
  const int fd = ::mkstemps(path.data(), 4);
  if (fd < 0) {
    throw make_error(ExitCode::cant_create, "cannot create a private file for the editor in {}: {}",
                     dir, std::strerror(errno));
  }
  const RemoveOnExit remove(path);
  ::fchmod(fd, 0600);
  std::string content = intro;
  for (const auto& f : fields) {
    content += "\n# " + f.option + ": " + f.label + "\n";
    if (!f.text.empty()) {
      content += f.text + "\n";
    }
  }
  const bool written =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ::close(fd);
  if (!written) {
    throw make_error(ExitCode::io, "cannot write the editor's file in {}", dir);
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    throw make_error(ExitCode::io, "cannot start the editor: {}", std::strerror(errno));
  }
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_DFL);  // lbib ignores it (cmd/main.cpp); the editor gets the default
    // The editor is a shell command, as git runs it: "$EDITOR" "$@".
    const std::string command = editor + " \"$@\"";
    ::execl("/bin/sh", "sh", "-c", command.c_str(), "sh", path.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw make_error(ExitCode::usage, "the editor did not finish normally; nothing was saved");
  }
  const auto texts = parse_edited(read_file(path, "editor's file"), fields);
  if (std::all_of(texts.begin(), texts.end(), [](const std::string& t) { return t.empty(); })) {
    throw make_error(ExitCode::usage, "nothing was written in the editor; nothing was saved");
  }
  return texts;
}

}  // namespace lbib::io
