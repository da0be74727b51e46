/** Persistence wired into the server: the append-only file, snapshots and start-up loading. */
package dev.peregrine.server.persistence;
