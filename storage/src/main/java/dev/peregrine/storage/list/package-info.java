/**
 * The list value type: {@link dev.peregrine.storage.list.Listpack} (one compact byte array of elements),
 * {@link dev.peregrine.storage.list.QuickList} (a linked chain of listpacks) and
 * {@link dev.peregrine.storage.list.ListValue}, the keyspace entry that switches between them. Executor-only.
 */
package dev.peregrine.storage.list;
