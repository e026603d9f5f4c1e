/** The administrator every test server (and the test data template) is created with. */
export const TEST_ADMIN = { username: 'admin', password: 'test-admin-password' } as const;
