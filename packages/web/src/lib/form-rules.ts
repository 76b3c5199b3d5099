import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormRule } from 'antd';
import { password, roleName, username } from '@tide/contract';
import type { z } from 'zod';

/** An antd rule that checks a value against a contract schema, with a translated message. */
export function schemaRule(schema: z.ZodType, message: string): FormRule {
  return {
    validator: (_rule, value: unknown) =>
      value === undefined || value === null || value === '' || schema.safeParse(value).success
        ? Promise.resolve()
        : Promise.reject(new Error(message)),
  };
}

/** Form rules reusing the contract's schemas, so the browser and the server agree. */
export function useFormRules() {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      required: { required: true, message: t('validation.required') } satisfies FormRule,
      requiredTrimmed: {
        required: true,
        whitespace: true,
        message: t('validation.required'),
      } satisfies FormRule,
      maxLength: (max: number): FormRule => ({ max, message: t('validation.maxLength', { max }) }),
      username: schemaRule(username, t('validation.username')),
      password: schemaRule(password, t('validation.password')),
      roleName: schemaRule(roleName, t('validation.roleName')),
      email: { type: 'email', message: t('validation.email') } satisfies FormRule,
      /** Confirms a second password field against the first one. */
      sameAs:
        (field: string): FormRule =>
        ({ getFieldValue }) => ({
          validator: (_rule, value: unknown) =>
            value === undefined || value === '' || getFieldValue(field) === value
              ? Promise.resolve()
              : Promise.reject(new Error(t('validation.passwordMismatch'))),
        }),
    }),
    [t],
  );
}
