"""Data generator and benchmarks (not run by the test suite). See bench/RESULTADOS.md."""
