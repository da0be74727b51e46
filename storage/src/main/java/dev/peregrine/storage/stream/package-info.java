/**
 * The stream value type: entries packed into listpack nodes keyed by their master ID, with consumer groups and
 * their pending entries lists. Executor-only.
 */
package dev.peregrine.storage.stream;
