// SPDX-License-Identifier: MIT
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "helpers.hpp"
#include "lbib/db/database.hpp"
#include "lbib/deploy/doctor.hpp"
#include "lbib/deploy/filesystem.hpp"

namespace deploy = lbib::deploy;
namespace fs = std::filesystem;
using lbib::ExitCode;
using lbib::testing::TempDir;

namespace {

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// The sysfs folder of the block device holding `path`.
fs::path block_of(const fs::path& sysfs, const fs::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return sysfs / "dev" / "block" /
         (std::to_string(major(st.st_dev)) + ":" + std::to_string(minor(st.st_dev)));
}

// Surroundings in which everything but what a test changes is fine.
deploy::Surroundings surroundings(const TempDir& t, std::map<std::string, std::string> env) {
  deploy::Surroundings s;
  s.register_path = t.path / "lbib.sqlite";
  s.getenv = [env](const char* name) -> std::optional<std::string> {
    const auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  s.sysfs = t.path / "sys";
  s.etc = t.path / "etc";
  s.catalogue_dir = t.path / "locale";
  s.now = std::time(nullptr);
  s.uid = ::getuid();
  s.crontab = [] { return std::optional<std::string>("0 7 * * * cron-remind.sh\n"); };
  s.locale_exists = [](const std::string&) { return true; };
  return s;
}

const deploy::Finding& finding(const std::vector<deploy::Finding>& all, std::string_view check) {
  const auto it = std::find_if(all.begin(), all.end(),
                               [&](const deploy::Finding& f) { return f.check == check; });
  REQUIRE(it != all.end());
  return *it;
}

}  // namespace

TEST_CASE("network_filesystem names NFS, SMB and FUSE, and no local filesystem") {
  CHECK(deploy::network_filesystem(0x6969) == "NFS");
  CHECK(deploy::network_filesystem(0xFF534D42) == "SMB/CIFS");
  CHECK(deploy::network_filesystem(0x65735546) == "FUSE (sshfs, ...)");
  CHECK_FALSE(deploy::network_filesystem(0xEF53));      // ext4
  CHECK_FALSE(deploy::network_filesystem(0x794C7630));  // overlayfs
  CHECK_FALSE(deploy::network_filesystem(0x01021994));  // tmpfs
}

TEST_CASE("refuse_network_filesystem: the statfs seam, and the register is refused with 77") {
  TempDir t;
  CHECK_NOTHROW(deploy::refuse_network_filesystem(t.path / "lbib.sqlite"));
  ::setenv("LBIB_TEST_FSTYPE", "0x6969", 1);
  CHECK_LBIB_ERROR(deploy::refuse_network_filesystem(t.path / "lbib.sqlite"), ExitCode::no_perm,
                   "network filesystem (NFS)");
  CHECK_LBIB_ERROR(lbib::db::Database::create(t.path / "lbib.sqlite", {}), ExitCode::no_perm,
                   "SQLite's locking is not safe there");
  CHECK_FALSE(fs::exists(t.path / "lbib.sqlite"));
  ::unsetenv("LBIB_TEST_FSTYPE");
}

TEST_CASE("encryption_of finds dm-crypt directly and beneath LVM, and nothing elsewhere") {
  TempDir t;
  const fs::path sysfs = t.path / "sys";
  const fs::path block = block_of(sysfs, t.path);
  CHECK(deploy::encryption_of(t.path, sysfs) == deploy::Encryption::none_found);
  SUBCASE("LUKS") {
    write(block / "dm" / "uuid", "CRYPT-LUKS2-abc-luks\n");
    CHECK(deploy::encryption_of(t.path / "not-yet", sysfs) == deploy::Encryption::dm_crypt);
  }
  SUBCASE("LVM on LUKS") {
    write(block / "dm" / "uuid", "LVM-abc\n");
    write(block / "slaves" / "dm-0" / "dm" / "uuid", "CRYPT-LUKS2-def-crypt\n");
    CHECK(deploy::encryption_of(t.path, sysfs) == deploy::Encryption::dm_crypt);
  }
  SUBCASE("plain LVM") {
    write(block / "dm" / "uuid", "LVM-abc\n");
    CHECK(deploy::encryption_of(t.path, sysfs) == deploy::Encryption::none_found);
  }
}

TEST_CASE("examine: a missing register, msmtp accounts, jobs, the record and the locale") {
  TempDir t;
  auto c = lbib::testing::cfg();
  auto s = surroundings(t, {{"SENDMAIL", "/nonexistent/sendmail"}, {"LANG", "sv_SE.UTF-8"}});
  SUBCASE("defaults: what an administrator still has to do") {
    s.locale_exists = [](const std::string&) { return false; };
    s.crontab = [] { return std::optional<std::string>(); };
    const auto all = deploy::examine(c, std::nullopt, s);
    CHECK(finding(all, "register.exists").status == deploy::Status::problem);
    CHECK(finding(all, "mail.sendmail").status == deploy::Status::problem);
    CHECK(finding(all, "mail.library").status == deploy::Status::problem);
    CHECK(finding(all, "mail.contacts").status == deploy::Status::problem);
    CHECK(finding(all, "jobs.remind").status == deploy::Status::problem);
    CHECK(finding(all, "jobs.backup").status == deploy::Status::problem);
    CHECK(finding(all, "config.valid").status == deploy::Status::warning);
    CHECK(finding(all, "config.record").message ==
          "the record of processing (art. 30) lacks gdpr.controller, gdpr.contact, gdpr.dpo");
    CHECK(finding(all, "locale.system").status == deploy::Status::warning);
    CHECK(finding(all, "locale.messages").status == deploy::Status::problem);
    CHECK(deploy::exit_status(all) == 2);
  }
  SUBCASE("msmtp: inherited tls, a local host needs none, a remote one without is named") {
    write(t.path / "bin" / "msmtp", "#!/bin/sh\n");
    fs::permissions(t.path / "bin" / "msmtp", fs::perms::owner_all);
    write(t.path / "msmtprc",
          "defaults\ntls on\naccount a\nhost smtp.example.se\naccount b\nhost localhost\ntls "
          "off\naccount c : b\nhost mail.example.se\n");
    fs::permissions(t.path / "msmtprc", fs::perms::owner_read | fs::perms::owner_write);
    s.getenv = [&t](const char* name) -> std::optional<std::string> {
      if (std::string_view(name) == "SENDMAIL") {
        return (t.path / "bin" / "msmtp").string() + " -C " + (t.path / "msmtprc").string();
      }
      return std::nullopt;
    };
    const auto all = deploy::examine(c, std::nullopt, s);
    CHECK(finding(all, "mail.sendmail").status == deploy::Status::ok);
    CHECK(finding(all, "mail.msmtp").status == deploy::Status::ok);
    CHECK(finding(all, "mail.tls").message ==
          "msmtp sends to a remote server without TLS (account c)");
  }
  SUBCASE("a configuration that failed to load is a problem with its own message") {
    const auto all = deploy::examine(c, std::string("x.toml:1:1: unknown key"), s);
    CHECK(finding(all, "config.valid").status == deploy::Status::problem);
    CHECK(finding(all, "config.valid").message == "x.toml:1:1: unknown key");
  }
}

TEST_CASE("exit_status, render and the table for monitoring") {
  std::vector<deploy::Finding> all{{"a", deploy::Status::ok, "fine", ""}};
  CHECK(deploy::exit_status(all) == 0);
  all.push_back({"b", deploy::Status::warning, "hm", "look"});
  CHECK(deploy::exit_status(all) == 1);
  all.push_back({"c", deploy::Status::problem, "bad", "fix it"});
  CHECK(deploy::exit_status(all) == 2);
  CHECK(deploy::render(all) == "ok       fine\nwarning  hm: look\nproblem  bad: fix it\n");
  const auto t = deploy::findings_table(all);
  CHECK(t.columns == std::vector<std::string>{"check", "status", "message", "advice"});
  CHECK(std::get<std::string>(t.rows[2][1]) == "problem");
}
