#!/usr/bin/env bash
# The reference fabric with FRR on the leaves and fabricd on the spines.
MIXED=leaves exec bash "$(dirname "$0")/test_fabric.sh"
