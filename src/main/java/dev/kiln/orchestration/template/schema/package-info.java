/** Resource type schemas: properties, attributes and constraints, as Heat describes them. */
package dev.kiln.orchestration.template.schema;
