/**
 * Redis-compatible persistence formats: the RDB file and DUMP payload checksums now, the RDB reader and writer,
 * AOF and fork-less snapshots as they come. Stateless helpers here may be used from any thread.
 */
package dev.peregrine.persistence;
