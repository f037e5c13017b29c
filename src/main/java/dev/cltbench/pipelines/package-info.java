/**
 * Each command's pipeline: options in, graph built and run, output committed. The command line
 * ({@code dev.cltbench.cli}) only parses options and calls an entry here; a live run reaches its report
 * through {@link dev.cltbench.pipelines.ReportJob}'s own entry.
 */
package dev.cltbench.pipelines;
