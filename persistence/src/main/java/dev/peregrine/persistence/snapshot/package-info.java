/**
 * Point-in-time snapshots of the keyspace taken without fork: the executor walks the tables in bounded slices
 * while a write barrier saves any not-yet-saved entry before it changes, and another thread encodes and writes
 * the file.
 */
package dev.peregrine.persistence.snapshot;
