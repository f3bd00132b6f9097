-- SPDX-License-Identifier: MIT
-- A stand-in for migration 21, made in parallel on another branch (branch fix14b needed 0022):
-- migrations are numbered without gaps. DELETE THIS FILE when merging with the branch that
-- has the real 0021 (or rename it 0021_reserved.sql, as 0016, if no branch uses 21).
SELECT 1;
