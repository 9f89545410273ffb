#!/usr/bin/env bash
# BFD between fabricd leaves and FRR bfdd on the spines.
MIXED=spines exec bash "$(dirname "$0")/test_bfd.sh"
