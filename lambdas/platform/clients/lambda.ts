import { lambdaClient } from '../aws/lambda-client';

/** The function's Lambda client (`Invoke` of another function of the stack), once per execution environment (see `dynamodb.ts`). */
export const lambda = lambdaClient();
