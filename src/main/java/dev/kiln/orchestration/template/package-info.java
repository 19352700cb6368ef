/**
 * Heat's template language, as a pure library: it parses a template with its environment and
 * files, checks it statically, binds parameters, and hands the engine resource definitions whose
 * properties are still {@link dev.kiln.orchestration.template.Expression}s, resolved later against
 * live resources through a {@link dev.kiln.orchestration.template.Resolver}.
 *
 * <p>Every refusal is a {@link dev.kiln.common.ServiceException} of kind INVALID whose type and
 * message are Heat's ({@code StackValidationFailed}, {@code InvalidTemplateVersion},
 * {@code InvalidTemplateReference}, {@code UserParameterMissing}, …), naming the resource,
 * property, parameter or function at fault.
 */
package dev.kiln.orchestration.template;
