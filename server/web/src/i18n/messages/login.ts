import { defineMessages } from '../define.js';

export const login = defineMessages({
  vi: {
    'login.title': 'Đăng nhập',
    'login.username': 'Tên đăng nhập',
    'login.password': 'Mật khẩu',
    'login.submit': 'Đăng nhập',
    'login.failed': 'Sai tên đăng nhập hoặc mật khẩu.',
    'login.locked': 'Tài khoản tạm khoá hoặc đăng nhập sai quá nhiều lần. Thử lại sau {minutes} phút.',
    'login.expired': 'Phiên làm việc đã hết. Vui lòng đăng nhập lại.',
  },
  en: {
    'login.title': 'Sign in',
    'login.username': 'Username',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.failed': 'Wrong username or password.',
    'login.locked': 'Account locked or too many failed sign-ins. Try again in {minutes} minutes.',
    'login.expired': 'Your session has ended. Please sign in again.',
  },
});
