/** What an instance sees of itself: the metadata service (meta_data.json, network_data.json, user data, keys). */
package dev.kiln.compute.metadata;
