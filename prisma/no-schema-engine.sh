#!/bin/sh
# Stands in for the schema engine, which cannot be downloaded offline: generate does not need it.
exit 1
