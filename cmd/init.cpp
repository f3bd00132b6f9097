// SPDX-License-Identifier: MIT
#include <ostream>

#include "commands.hpp"
#include "lbib/audit/audit.hpp"

namespace lbib::cmd {

void run_init(Context& ctx) {
  auto db = ctx.create_db();
  db::WriteTransaction tx(db);
  audit::record(tx, ctx.actor(), "init", "register", std::nullopt);
  tx.commit();
  ctx.out() << db.path().string() << '\n';
}

void setup_init(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand("init", top_help("init"));
  sub->callback([&ctx] { run_init(ctx); });
}

}  // namespace lbib::cmd
