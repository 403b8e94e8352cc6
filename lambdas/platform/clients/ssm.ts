import { ssmClient } from '../aws/ssm-client';

/** The function's SSM client (the kill switch's `GetParameter`), once per execution environment (see `dynamodb.ts`). */
export const ssm = ssmClient();
