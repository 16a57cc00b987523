import { useSession } from "@/api/provider";
import { Page } from "@/components/page";
import { AboutSection } from "./about-section";
import { ApplicationSection } from "./application-section";
import { ConnectionSection } from "./connection-section";
import { PasswordSection } from "./password-section";
import { ProfileSection } from "./profile-section";
import { SessionsSection } from "./sessions-section";
import { TwoFactorSection } from "./two-factor-section";
import "./settings.css";

/** Your account (profile, password, 2FA, sessions), the app's settings (admins) and what runs. */
export function SettingsPage() {
  const session = useSession();
  return (
    <Page title="Settings">
      <div className="settings">
        <ProfileSection />
        <PasswordSection />
        <TwoFactorSection />
        <SessionsSection />
        {session?.user.role === "admin" && <ApplicationSection />}
        <ConnectionSection />
        <AboutSection />
      </div>
    </Page>
  );
}
