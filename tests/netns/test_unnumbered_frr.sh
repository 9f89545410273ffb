#!/usr/bin/env bash
# test_unnumbered.sh with FRR 8.4 on the spines (fabricd leaves).
MIXED=spines exec bash "$(dirname "$0")/test_unnumbered.sh"
