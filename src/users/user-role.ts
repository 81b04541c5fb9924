export enum UserRole {
  Admin = 'admin',
  Member = 'member',
}
