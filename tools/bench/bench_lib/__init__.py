"""The pieces of the benchmark runner, tools/bench/run.py (see its docstring).

  processes  the servers under test (Server) and what /proc says of them
  clients    the Python side of the wire: preloading keys, one-off commands
  workloads  the redis-benchmark workloads and one run of one of them
  phases     throughput, memory and connection-spread phases
  report     medians, the printed tables and the informational targets

The modules import connection_spread (a sibling script in tools/bench/): run.py
puts tools/bench/ on sys.path before importing this package.
"""
