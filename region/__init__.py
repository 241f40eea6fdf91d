"""The region (issue 17): several municipalities that share one installation through a regional
body. Aggregates only: the region's indicators as the sum or the properly weighted figure of its
municipalities' stored values, the comparison of its municipalities side by side, and the regional
BUIG overview. No page of this app shows or links to a resident."""
