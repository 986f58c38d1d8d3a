/**
 * Email templates, as SES keeps them: per-account named templates (subject, text, HTML) in SES's
 * template language, Handlebars; compiling each once and keeping it; rendering one message's
 * content from its TemplateData; and sending templated mail (SendEmail with Template content,
 * SendBulkEmail) through the same acceptance as Simple content. A variable the data leaves without
 * a value is a rendering failure: the message is accepted and a Rendering Failure event is
 * published instead of sending it.
 */
package io.poolmta.template;
