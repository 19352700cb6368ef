/** What servers are made from: flavors (extra specs, access lists) and keypairs. */
package dev.kiln.compute.catalog;
