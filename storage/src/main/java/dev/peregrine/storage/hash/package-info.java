/** The hash value type: its listpack and hashtable encodings and the conversion between them. */
package dev.peregrine.storage.hash;
