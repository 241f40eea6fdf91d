"""The row writers, one module per group of tables; ``households.write_household`` writes one
planned household with everything that belongs to it."""
