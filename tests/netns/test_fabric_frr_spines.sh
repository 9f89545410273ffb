#!/usr/bin/env bash
# The reference fabric with FRR on the spines and fabricd on the leaves.
MIXED=spines exec bash "$(dirname "$0")/test_fabric.sh"
