import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { apiSchemas } from './schemas.ts';

type OpenApiDocument = Record<string, unknown> & { components?: { schemas?: Record<string, unknown> } };

const transformObject = createJsonSchemaTransformObject({ schemaRegistry: apiSchemas });

/**
 * The type provider emits every registered component twice, as `X` (output) and `XInput`
 * (input). A read-only API takes no bodies, so input twins that nothing else refers to are
 * noise; dropping one can orphan another, so this repeats until nothing changes.
 */
function dropUnusedInputComponents(doc: OpenApiDocument): OpenApiDocument {
  let schemas = { ...doc.components?.schemas };
  for (;;) {
    const unused = Object.keys(schemas).filter((id) => {
      if (!id.endsWith('Input')) return false;
      const { [id]: _self, ...others } = schemas;
      return !JSON.stringify({ ...doc, components: { schemas: others } }).includes(`"#/components/schemas/${id}"`);
    });
    if (unused.length === 0) break;
    schemas = Object.fromEntries(Object.entries(schemas).filter(([id]) => !unused.includes(id)));
  }
  return { ...doc, components: { ...doc.components, schemas } };
}

/** @fastify/swagger options: OpenAPI 3.1 generated from the routes' zod schemas. */
export function openApiOptions(version: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vigil API',
        version,
        description:
          'Documentation and accountability for torture and ill-treatment in places of detention. ' +
          'Sign in with POST /api/v1/auth/login (session cookie; send x-csrf-token on writes) or use an API token (Authorization: Bearer vgl_…). ' +
          'Each route names the roles that may call it; /api/v1/public needs no login. ' +
          'Errors are `{ code, message, path?, requestId }` with a stable `code`. People appear only by id and pseudonym.',
      },
      tags: [
        { name: 'facilities' },
        { name: 'organizations' },
        { name: 'people' },
        { name: 'sources' },
        { name: 'allegations' },
        { name: 'proceedings' },
        { name: 'visits' },
        { name: 'statements' },
        { name: 'search' },
        { name: 'statistics' },
        { name: 'vocabularies' },
        { name: 'auth' },
        { name: 'users' },
        { name: 'public' },
        { name: 'health' },
      ],
    },
    transform: createJsonSchemaTransform({ schemaRegistry: apiSchemas, skipList: [] }),
    transformObject: (input) =>
      dropUnusedInputComponents(transformObject(input) as OpenApiDocument) as ReturnType<typeof transformObject>,
  };
}
