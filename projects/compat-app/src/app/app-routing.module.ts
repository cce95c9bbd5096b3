import { NgModule } from '@angular/core';
import { RouterModule, type Routes } from '@angular/router';
import { JwtGuard } from 'ngx-customapp-jwt';
import { LoginComponent } from './auth/login.component';
import { MenuComponent } from './menu/menu.component';

const routes: Routes = [
  { path: 'login', component: LoginComponent },
  { path: '', component: MenuComponent, canActivate: [JwtGuard] },
  { path: '**', redirectTo: '' },
];

@NgModule({
  imports: [RouterModule.forRoot(routes)],
  exports: [RouterModule],
})
export class AppRoutingModule {}
