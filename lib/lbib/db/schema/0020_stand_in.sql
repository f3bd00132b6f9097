-- SPDX-License-Identifier: MIT
-- A stand-in for migration 20, made in parallel on another branch (branch fix14b needed 0022):
-- migrations are numbered without gaps. DELETE THIS FILE when merging with the branch that
-- has the real 0020.
SELECT 1;
