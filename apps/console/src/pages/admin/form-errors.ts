import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client';

/**
 * The fields a refusal names: validation lists them (`details.fields`), a business rule names one
 * (`details.field`, e.g. USER.USERNAME_TAKEN on `username`) and its message is the one to show there.
 */
export function refusedFields(error: unknown): Array<{ field: string; messages: string[] }> {
  if (!(error instanceof ApiError)) return [];
  if (error.fields.length > 0) return error.fields;
  const field = error.details.field;
  return typeof field === 'string' ? [{ field, messages: [error.message] }] : [];
}

/**
 * Puts a refusal on the form fields it names; answers whether any field of this form took it (else the caller
 * shows it above the form).
 */
export function showOnFields(form: FormInstance, error: unknown): boolean {
  const known = new Set(Object.keys(form.getFieldsValue() as Record<string, unknown>));
  const fields = refusedFields(error).filter((field) => known.has(field.field));
  if (fields.length === 0) return false;
  form.setFields(fields.map((field) => ({ name: field.field, errors: field.messages })));
  return true;
}
