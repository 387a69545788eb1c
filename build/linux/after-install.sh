#!/bin/bash
# Bosun deb postinst (electron-builder fills in ${executable} and ${sanitizedProductName}).
# Keeps electron-builder's own steps (app link in /usr/bin, chrome-sandbox mode, desktop database)
# and adds Bosun's: docker-credential-bosun and the `bosun` command on PATH, start at login for every user, and registry.json
# when BOSUN_ALLOWED_ORGS is set for the install (sudo env BOSUN_ALLOWED_ORGS=mycompany apt install ./bosun.deb).
set -e
APP_DIR='/opt/${sanitizedProductName}'

ln -sf "$APP_DIR/${executable}" '/usr/bin/${executable}'

# Electron's sandbox needs the SUID helper only where unprivileged user namespaces are off.
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true 2>/dev/null; }; then
  chmod 4755 "$APP_DIR/chrome-sandbox" || true
else
  chmod 0755 "$APP_DIR/chrome-sandbox" || true
fi

# The credential helper: docker finds docker-credential-<name> on PATH. And the `bosun` command
# (login, status, doctor, logs, policy show); the tray app itself is ${executable}.
ln -sf "$APP_DIR/resources/bin/docker-credential-bosun" /usr/bin/docker-credential-bosun
ln -sf "$APP_DIR/resources/bin/bosun" /usr/bin/bosun

# Start at login for every desktop user (XDG autostart).
install -d -m 0755 /etc/xdg/autostart
cat > /etc/xdg/autostart/bosun.desktop <<DESKTOP
[Desktop Entry]
Type=Application
Name=Bosun
Comment=Keeps container pulls inside your organization's policy
Exec=/usr/bin/${executable} --hidden
X-GNOME-Autostart-enabled=true
NoDisplay=true
DESKTOP
chmod 0644 /etc/xdg/autostart/bosun.desktop

if [ -n "${BOSUN_ALLOWED_ORGS:-}" ]; then
  "$APP_DIR/resources/write-registry-json.sh" "$BOSUN_ALLOWED_ORGS" /usr/share/docker-desktop/registry/registry.json
fi

if hash update-desktop-database 2>/dev/null; then update-desktop-database /usr/share/applications || true; fi
exit 0
