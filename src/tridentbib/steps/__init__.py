"""Pure steps over values, in the order a build runs them: assemble entries, merge citation blocks, fill, keys, venue upgrades."""
