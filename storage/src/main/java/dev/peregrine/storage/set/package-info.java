/** The set value type: its intset, listpack and hashtable encodings and the conversions between them. */
package dev.peregrine.storage.set;
